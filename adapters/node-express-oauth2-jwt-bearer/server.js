// An Express API protected by express-oauth2-jwt-bearer, configured as its README shows:
// auth({ audience, issuerBaseURL }). audcheck starts it with the expected audience(s) and
// the issuer's discovery URL in the environment, then each further one at its configure
// endpoint (docs/http.md).
'use strict';
const http = require('node:http');
const express = require('express');
const { auth } = require('express-oauth2-jwt-bearer');
const { version } = require('express-oauth2-jwt-bearer/package.json');

const env = process.env;

/** The API for one configuration: { audiences, discovery_url } (docs/http.md). */
function protectedApp(config) {
  const { audiences } = config;
  const app = express();
  app.get('/ready', (req, res) => res.json({ library: 'express-oauth2-jwt-bearer', version }));
  app.use(
    auth({
      issuerBaseURL: config.discovery_url.replace('/.well-known/openid-configuration', ''),
      audience: audiences.length === 1 ? audiences[0] : audiences,
    })
  );
  app.get('/protected', (req, res) => res.json({ ok: true, sub: req.auth.payload.sub }));
  return app;
}

// audcheck's configure endpoint (docs/http.md, "Reconfigured services"): each expected
// audience and issuer gets a fresh app, built as above, without restarting Node.
let current = protectedApp({ audiences: JSON.parse(env.AUDCHECK_AUDIENCES), issuer: env.AUDCHECK_ISSUER, jwks_url: env.AUDCHECK_JWKS_URL, discovery_url: env.AUDCHECK_DISCOVERY_URL });
http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/audcheck/configure') return current(req, res);
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    try {
      current = protectedApp(JSON.parse(body));
      res.end('{}');
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: String(err) }));
    }
  });
}).listen(Number(env.AUDCHECK_PORT), '127.0.0.1');
