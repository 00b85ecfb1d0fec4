// An HTTP service for audcheck protected by @okta/jwt-verifier, configured as its README
// shows: new OktaJwtVerifier({ issuer, jwksUri }) (the "Custom JWKS URI" section), with the
// keys fetched from audcheck's key server, then verifyAccessToken(token, expectedAud) for
// each request. audcheck starts it with the port, the expected audiences, the issuer and the
// key server's JWKS URL in its environment, then each further configuration at its configure
// endpoint (docs/http.md).
'use strict';
const http = require('node:http');
const OktaJwtVerifier = require('@okta/jwt-verifier');
const { version } = require('@okta/jwt-verifier/package.json');

const env = process.env;
const audiences = JSON.parse(env.AUDCHECK_AUDIENCES || '[]');
const options = JSON.parse(env.AUDCHECK_OPTIONS || '{}');
// expected_aud: "as-given" passes one expected audience as a string (direct match) and several
// as an array (the README's two forms); "array" always passes an array.
const KNOWN = { expected_aud: ['as-given', 'array'] };
for (const [k, v] of Object.entries(options)) {
  if (!KNOWN[k] || !KNOWN[k].includes(v)) {
    console.error(`audcheck: unknown option ${k}=${JSON.stringify(v)}; known: ${JSON.stringify(KNOWN)}`);
    process.exit(2);
  }
}

/** The verifier and expected audience for one configuration: { audiences, issuer, jwks_url }. */
function configured(config) {
  const { audiences } = config;
  return {
    verifier: new OktaJwtVerifier({ issuer: config.issuer, jwksUri: config.jwks_url }),
    expectedAud: options.expected_aud === 'array' || audiences.length !== 1 ? audiences : audiences[0],
  };
}
// Replaced at audcheck's configure endpoint (docs/http.md, "Reconfigured services").
let current = configured({ audiences, issuer: env.AUDCHECK_ISSUER, jwks_url: env.AUDCHECK_JWKS_URL });

// The library's messages quote the token's aud; a very long one is cut for the report.
const clip = (m) => (m.length > 2000 ? `${m.slice(0, 2000)}... (${m.length - 2000} more characters)` : m);

async function validate(token) {
  try {
    await current.verifier.verifyAccessToken(token, current.expectedAud);
    return null;
  } catch (err) {
    return clip(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}

http.createServer(async (req, res) => {
  const reply = (status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/ready') return reply(200, { library: '@okta/jwt-verifier', version });
  if (req.method === 'POST' && req.url === '/audcheck/configure') {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      current = configured(JSON.parse(body));
      return reply(200, {});
    } catch (err) {
      return reply(400, { error: String(err) });
    }
  }
  if (req.url !== '/protected') return reply(404, { error: 'not found' });
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  const problem = await validate(token);
  if (problem === null) return reply(200, { ok: true });
  // A header holds printable ASCII only: other characters are written as U+XXXX there; the
  // body keeps the message as the library wrote it.
  const description = problem.replace(/["\\\r\n]/g, ' ').replace(/[^\x20-\x7e]/gu, (c) => `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  reply(401, { error: 'invalid_token', error_description: problem },
    { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` });
}).listen(Number(env.AUDCHECK_PORT), '127.0.0.1');
