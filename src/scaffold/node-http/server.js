// An HTTP service for audcheck: {{library}} protects /protected, configured the way its
// documentation tells users to (see audcheck's docs/http.md). audcheck starts it with the
// port, the expected audiences, the issuer and the key server's URLs in its environment.
'use strict';
const http = require('node:http');

const env = process.env;
const config = {
  audiences: JSON.parse(env.AUDCHECK_AUDIENCES || '[]'),
  issuer: env.AUDCHECK_ISSUER,
  jwksUrl: env.AUDCHECK_JWKS_URL,
  discoveryUrl: env.AUDCHECK_DISCOVERY_URL,
};
const LIBRARY = '{{library}}';
const VERSION = 'unknown'; // read it from the library, say require('<library>/package.json').version

// The one place to change: validate the token with the library (or the framework's
// middleware) configured from `config`. Return null when it accepts, else the library's
// own message.
async function validate(token) {
  // AUDCHECK-BEGIN library call
  return 'audcheck skeleton: call the library here';
  // AUDCHECK-END library call
}

http.createServer(async (req, res) => {
  const reply = (status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/ready') return reply(200, { library: LIBRARY, version: VERSION });
  if (req.url !== '/protected') return reply(404, { error: 'not found' });
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  let problem;
  try {
    problem = await validate(token);
  } catch (e) {
    problem = `${e.name}: ${e.message}`;
  }
  if (problem === null) return reply(200, { ok: true });
  const description = String(problem).replace(/["\\\r\n]/g, ' ');
  reply(401, { error: 'invalid_token' }, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` });
}).listen(Number(env.AUDCHECK_PORT), '127.0.0.1');
