// audcheck adapter for google-auth-library: OAuth2Client.verifySignedJwtWithCertsAsync(jwt,
// certs, audience, issuers), the verification step of verifyIdToken with the certificates
// given, as the README shows for tokens whose keys you hold (its IAP example). verifyIdToken
// itself downloads Google's certificates first; everything after that download is this call.
// The library's own verdict goes back. Protocol: docs/protocol.md.
'use strict';
const readline = require('readline');
const { OAuth2Client } = require('google-auth-library');
const { version } = require('google-auth-library/package.json');

// audience: "as-given" passes one expected audience as a string and several as an array
// (the declared type is string | string[]); "array" always passes an array.
const KNOWN_OPTIONS = { audience: ['as-given', 'array'] };
let options = {};
const client = new OAuth2Client();

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

// `undefined` (no expected audience) is what verifyIdToken passes when called without one.
function audienceArg(audience) {
  if (audience === null) return undefined;
  if (options.audience === 'array') return audience;
  return audience.length === 1 ? audience[0] : audience;
}

function reason(m) {
  if (m.startsWith('Wrong recipient')) return 'audience';
  if (m.startsWith('Invalid issuer')) return 'issuer';
  if (m.startsWith('Token used too late')) return 'expired';
  if (m.startsWith('Token used too early')) return 'not-yet-valid';
  if (m.startsWith('Invalid token signature') || m.startsWith('No pem found')) return 'signature';
  if (m.startsWith('Wrong number of segments') || m.startsWith("Can't parse") || m.includes('invalid format')) return 'malformed';
  return 'other';
}

// The library's messages quote the whole token or payload; a very long one is cut for the report.
function clip(m) {
  return m.length > 1000 ? `${m.slice(0, 1000)}... (${m.length - 1000} more characters)` : m;
}

async function verify(msg) {
  // The public keys by key id, in PEM, as getIapCerts() returns them (response.pubkeys).
  const certs = { [msg.key.jwk.kid]: msg.key.pem };
  const issuers = msg.issuer === null ? undefined : [msg.issuer];
  try {
    await client.verifySignedJwtWithCertsAsync(msg.token, certs, audienceArg(msg.audience), issuers);
    return { op: 'verify', id: msg.id, accepted: true };
  } catch (err) {
    const m = String((err && err.message) || err);
    return { op: 'verify', id: msg.id, accepted: false, reason: reason(m), error: clip(`${(err && err.name) || 'Error'}: ${m}`) };
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
    return send({
      op: 'hello', protocol: 1, library: 'google-auth-library', version, language: 'node',
      // RSA PKCS#1 v1.5 and ES256 only: no PS256, EdDSA or HMAC.
      capabilities: { algorithms: ['RS256', 'ES256'], audience: 'any-of' },
    });
  }
  if (msg.op === 'verify') {
    queue = queue.then(() => verify(msg)).then(send);
    return;
  }
  send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
});
