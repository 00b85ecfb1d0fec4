// hono 4.10.2 (release matrix): a copy of node-hono's program with one change. The jwk
// middleware of 4.10.x has no `alg` option (it arrived in 4.11.4), so jwk() is called
// with keys and verification only. 4.10.2 is the release that added `aud` to verify()'s options
// and the middleware's `verification` (GHSA-m732-5p4w-x69g, CVE-2025-62610).
// audcheck adapter for hono's JWT helper: verify(token, key, { alg, iss, aud }) from hono/jwt
// (aud verification since hono 4.10.2), or, for +jwk-middleware, the jwk middleware with
// verification: { iss, aud } in an app called through app.request (in process, no socket).
// The library's own verdict goes back. Protocol: docs/protocol.md.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { verify } = require('hono/jwt');
const { jwk } = require('hono/jwk');
const { Hono } = require('hono');
// The package's exports map hides package.json; read it from this folder's node_modules.
const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/hono/package.json'), 'utf8'));

// aud (hono's VerifyOptions: aud?: string | string[] | RegExp):
// - "as-given": a string for one expected audience, an array for several;
// - "array": always an array;
// - "regexp-anchored": one RegExp, ^(?:a|b)$ over the escaped values;
// - "regexp": one RegExp from the values as they are, new RegExp(values.join('|')), unanchored
//   (a misuse users write).
// via: "verify" calls verify() directly; "jwk-middleware" runs the jwk middleware.
const KNOWN_OPTIONS = { aud: ['as-given', 'array', 'regexp-anchored', 'regexp'], via: ['verify', 'jwk-middleware'] };
let options = {};
const apps = new Map();

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
  if (options.aud === 'regexp-anchored') return new RegExp(`^(?:${audience.map(escapeRegExp).join('|')})$`);
  if (options.aud === 'regexp') return new RegExp(audience.join('|'));
  return audience.length === 1 ? audience[0] : audience;
}

function verifyOptions(msg) {
  const opts = {};
  if (msg.issuer !== null) opts.iss = msg.issuer;
  if (msg.audience !== null) opts.aud = audOption(msg.audience);
  return opts;
}

function reason(err) {
  switch (err && err.name) {
    case 'JwtTokenAudience': return 'audience';
    case 'JwtPayloadRequiresAud': return 'missing-aud';
    case 'JwtTokenExpired': return 'expired';
    case 'JwtTokenNotBefore': case 'JwtTokenIssuedAt': return 'not-yet-valid';
    case 'JwtTokenIssuer': return 'issuer';
    case 'JwtTokenSignatureMismatched': case 'JwtAlgorithmMismatch': case 'JwtAlgorithmNotAllowed':
    case 'JwtSymmetricAlgorithmNotAllowed': return 'signature';
    case 'JwtTokenInvalid': case 'JwtHeaderInvalid': case 'JwtHeaderRequiresKid': return 'malformed';
    default: return 'other';
  }
}

const describe = (err) => `${(err && err.name) || 'Error'}: ${(err && err.message) || String(err)}`;

// verify(): HS256 with the secret as its oct JWK, otherwise the SPKI PEM, both key forms
// hono's SignatureKey type takes; the algorithm is the case's.
async function viaVerify(msg) {
  const key = msg.alg === 'HS256' ? msg.key.jwk : msg.key.pem;
  await verify(msg.token, key, { alg: msg.alg, ...verifyOptions(msg) });
}

// The jwk middleware as its documentation shows: jwk({ keys, verification }), here in one
// app per configuration. Its 401 says only "token verification failure"; onError keeps the
// verification error it carries as cause, for the report. Cases run one at a time (the queue
// below), so the last error belongs to the request in flight.
let lastError = null;
function appFor(msg) {
  const id = JSON.stringify([msg.alg, msg.issuer, msg.audience, msg.key.jwk]);
  if (!apps.has(id)) {
    const app = new Hono();
    app.use('/protected', jwk({ keys: [msg.key.jwk], verification: verifyOptions(msg) }));
    app.get('/protected', (c) => c.json({ ok: true }));
    app.onError((err, c) => {
      lastError = err;
      return typeof err.getResponse === 'function' ? err.getResponse() : c.text(`${err.name}: ${err.message}`, 500);
    });
    apps.set(id, app);
  }
  return apps.get(id);
}

async function viaMiddleware(msg) {
  lastError = null;
  const res = await appFor(msg).request('/protected', { headers: { Authorization: `Bearer ${msg.token}` } });
  if (res.status === 200) return null;
  const challenge = res.headers.get('www-authenticate') || '';
  const cause = lastError && (lastError.cause || lastError);
  return { status: res.status, reason: reason(cause), error: `${res.status} ${challenge}; cause ${cause ? describe(cause) : 'none'}` };
}

async function handle(msg) {
  try {
    if (options.via === 'jwk-middleware') {
      if (msg.alg === 'HS256') throw new Error('the jwk middleware takes asymmetric keys only');
      const refused = await viaMiddleware(msg);
      if (!refused) return { op: 'verify', id: msg.id, accepted: true };
      if (refused.status !== 401) return { op: 'error', id: msg.id, error: `HTTP ${refused.status}: ${refused.error}` };
      return { op: 'verify', id: msg.id, accepted: false, reason: refused.reason, error: refused.error };
    }
    await viaVerify(msg);
    return { op: 'verify', id: msg.id, accepted: true };
  } catch (err) {
    return { op: 'verify', id: msg.id, accepted: false, reason: reason(err), error: describe(err) };
  }
}

// Answers go out in request order even though verification is asynchronous.
let queue = Promise.resolve();
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
    const algorithms = options.via === 'jwk-middleware' ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'];
    return send({
      op: 'hello', protocol: 1, library: 'hono', version, language: 'node',
      capabilities: { algorithms, audience: 'any-of' },
    });
  }
  if (msg.op === 'verify') {
    queue = queue.then(() => handle(msg)).then(send);
    return;
  }
  send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
});
