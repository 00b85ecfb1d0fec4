// audcheck adapter for aws-jwt-verify: JwtVerifier.create({ issuer, audience, jwksUri }) as
// its README shows for any OIDC-compatible IdP (JwtRsaVerifier is now an alias of it), with
// the test key loaded by verifier.cacheJwks(jwks) as the README documents for JWKS at hand,
// then verifier.verifySync(token): no download. The library's own verdict goes back.
// Protocol: docs/protocol.md.
'use strict';
const readline = require('readline');
const { JwtVerifier } = require('aws-jwt-verify');
const errors = require('aws-jwt-verify/error');
// The package's exports map hides package.json; read it from this folder's node_modules.
const { version } = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, 'node_modules/aws-jwt-verify/package.json'), 'utf8'));

// audience: "as-given" passes one expected audience as a string and several as an array, as
// the README describes ("Provide a string, or an array of strings"); "array" always an array.
const KNOWN_OPTIONS = { audience: ['as-given', 'array'] };
let options = {};
const verifiers = new Map();

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

// `audience: null` is the README's documented way to configure no audience check ("Set to
// null to skip checking audience"); audcheck sends null for "no expected audience".
function audienceOption(audience) {
  if (audience === null) return null;
  if (options.audience === 'array') return audience;
  return audience.length === 1 ? audience[0] : audience;
}

// One verifier per configuration, as a service would hold it, with the case's public key
// cached under its kid. The jwksUri is the README's default, `${issuer}/.well-known/jwks.json`;
// verifySync never fetches it (an unknown kid is an error, not a download).
function verifierFor(msg) {
  const id = JSON.stringify([msg.issuer, msg.audience, msg.key.jwk]);
  if (!verifiers.has(id)) {
    const verifier = JwtVerifier.create({ issuer: msg.issuer, audience: audienceOption(msg.audience), jwksUri: `${msg.issuer}/.well-known/jwks.json` });
    verifier.cacheJwks({ keys: [msg.key.jwk] });
    verifiers.set(id, verifier);
  }
  return verifiers.get(id);
}

function reason(err) {
  if (err instanceof errors.JwtInvalidAudienceError) return err.message.startsWith('Missing ') ? 'missing-aud' : 'audience';
  if (err instanceof errors.JwtInvalidIssuerError) return 'issuer';
  if (err instanceof errors.JwtExpiredError) return 'expired';
  if (err instanceof errors.JwtNotBeforeError) return 'not-yet-valid';
  if (err instanceof errors.JwtInvalidSignatureError || err instanceof errors.JwtInvalidSignatureAlgorithmError
      || err instanceof errors.KidNotFoundInJwksError || err instanceof errors.JwtWithoutValidKidError) return 'signature';
  if (err instanceof errors.JwtParseError) return 'malformed';
  if (err instanceof errors.ParameterValidationError) return 'config';
  return 'other';
}

function verify(msg) {
  try {
    verifierFor(msg).verifySync(msg.token);
    return { op: 'verify', id: msg.id, accepted: true };
  } catch (err) {
    return { op: 'verify', id: msg.id, accepted: false, reason: reason(err), error: `${err.name}: ${err.message}` };
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
      op: 'hello', protocol: 1, library: 'aws-jwt-verify', version, language: 'node',
      // supportedSignatureAlgorithms: RS*, ES*, EdDSA; no PS256 and no HMAC.
      capabilities: { algorithms: ['RS256', 'ES256', 'EdDSA'], audience: 'any-of' },
    });
  }
  if (msg.op === 'verify') return send(verify(msg));
  send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
});
