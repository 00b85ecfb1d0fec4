// audcheck adapter for jsonwebtoken: configures jwt.verify as its README tells users to,
// and reports the library's own verdict. Protocol: docs/protocol.md.
'use strict';
const readline = require('readline');
// The library comes from this folder's node_modules: a release folder such as
// adapters/node-jsonwebtoken@8.5.1 carries its own copy of this program.
const jwt = require('jsonwebtoken');
const { version } = require('jsonwebtoken/package.json');

const KNOWN_OPTIONS = { audience_as: ['strings', 'regexp'] };
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

// The README: "audience: ... can be checked against a string, a regular expression or a
// list of strings and/or regular expressions". Users who pass RegExps usually build them
// from the expected value as it is: new RegExp(value).
function audienceOption(audience) {
  if (options.audience_as === 'regexp') return audience.map((a) => new RegExp(a));
  return audience.length === 1 ? audience[0] : audience;
}

function reason(err) {
  const m = err.message || '';
  if (err.name === 'TokenExpiredError') return 'expired';
  if (err.name === 'NotBeforeError') return 'not-yet-valid';
  if (m.startsWith('jwt audience invalid')) return 'audience';
  if (m.startsWith('jwt issuer invalid')) return 'issuer';
  if (m === 'invalid signature' || m === 'invalid algorithm') return 'signature';
  if (m.startsWith('jwt malformed') || m === 'invalid token' || m.startsWith('jwt must be')) return 'malformed';
  if (m.includes('secretOrPublicKey') || m.includes('asymmetric key') || err instanceof SyntaxError) return 'config';
  return 'other';
}

function verify(msg) {
  const key = msg.alg === 'HS256' ? Buffer.from(msg.key.jwk.k, 'base64url') : msg.key.pem;
  const opts = { algorithms: [msg.alg], clockTimestamp: msg.now };
  if (msg.issuer !== null) opts.issuer = msg.issuer;
  try {
    // Inside the try: an expected audience that is no valid RegExp (the +regexp misuse)
    // fails the configuration, as it would in the user's service, and is not a crash.
    if (msg.audience !== null) opts.audience = audienceOption(msg.audience);
    jwt.verify(msg.token, key, opts);
    return { op: 'verify', id: msg.id, accepted: true };
  } catch (err) {
    return { op: 'verify', id: msg.id, accepted: false, reason: reason(err), error: `${err.name}: ${err.message}` };
  }
}

function main() {
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
        op: 'hello', protocol: 1, library: 'jsonwebtoken', version, language: 'node',
        // jsonwebtoken 8 and 9 have no EdDSA.
        capabilities: { algorithms: ['HS256', 'RS256', 'PS256', 'ES256'], audience: 'any-of' },
      });
    }
    if (msg.op === 'verify') return send(verify(msg));
    send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
  });
}

module.exports = { verify };
if (require.main === module) main();
