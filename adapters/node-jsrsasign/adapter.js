// audcheck adapter for jsrsasign: KJUR.jws.JWS.verifyJWT(token, key, acceptField) with
// acceptField.aud, the array of acceptable audiences its API documentation describes, and
// the library's own verdict. verifyJWT answers only true or false, so a false is a
// rejection with no reason class (audcheck's twins attribute it). Protocol: docs/protocol.md.
'use strict';
const readline = require('readline');
const { KJUR, KEYUTIL } = require('jsrsasign');
const { version } = require('jsrsasign/package.json');

// aud: "list" gives every expected audience in acceptField.aud (the documented form);
// "single" gives one (a service with one audience); "string" passes the one audience as a
// plain string, which verifyJWT's documented example calls fine ("aud: 'http://foo.com' is
// fine too") although verifyJWT checks aud only when acceptField.aud is an object.
const KNOWN_OPTIONS = { aud: ['list', 'single', 'string'] };
let options = {};
const keys = new Map();

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

// HS256: the secret as the {b64u: ...} password verifyJWT's documentation allows;
// otherwise the public key parsed from the SPKI PEM with KEYUTIL.getKey, as documented.
function keyFor(msg) {
  if (msg.alg === 'HS256') return { b64u: msg.key.jwk.k };
  if (!keys.has(msg.key.pem)) keys.set(msg.key.pem, KEYUTIL.getKey(msg.key.pem));
  return keys.get(msg.key.pem);
}

function audField(audience) {
  if (options.aud === 'single') return [audience[0]];
  if (options.aud === 'string') return audience[0];
  return audience;
}

function verify(msg) {
  const accept = { alg: [msg.alg], verifyAt: msg.now };
  if (msg.issuer !== null) accept.iss = [msg.issuer];
  if (msg.audience !== null) accept.aud = audField(msg.audience);
  try {
    if (KJUR.jws.JWS.verifyJWT(msg.token, keyFor(msg), accept)) return { op: 'verify', id: msg.id, accepted: true };
    return { op: 'verify', id: msg.id, accepted: false, error: 'verifyJWT returned false' };
  } catch (err) {
    // jsrsasign throws (often plain strings) on some inputs it cannot parse: the caller sees
    // an exception, which a service turns into a refusal. Kept as a rejection with its text.
    const text = err instanceof Error ? `${err.name}: ${err.message}` : `thrown: ${String(err)}`;
    return { op: 'verify', id: msg.id, accepted: false, reason: 'malformed', error: `verifyJWT threw ${text}` };
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
      op: 'hello', protocol: 1, library: 'jsrsasign', version, language: 'node',
      // jsrsasign's JWS has no EdDSA.
      capabilities: { algorithms: ['HS256', 'RS256', 'PS256', 'ES256'], audience: options.aud && options.aud !== 'list' ? 'single' : 'any-of' },
    });
  }
  if (msg.op === 'verify') return send(verify(msg));
  send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
});
