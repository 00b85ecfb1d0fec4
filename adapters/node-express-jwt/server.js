// An Express API protected by express-jwt, configured as its README shows for keys from a
// JWKS endpoint: expressjwt({ secret: jwksRsa.expressJwtSecret({ jwksUri }), audience,
// issuer, algorithms }), with the README's error handler answering 401. audcheck starts it
// with the expected audience(s), the issuer and the key server's JWKS URL in the
// environment, then each further one at its configure endpoint (docs/http.md).
'use strict';
const http = require('node:http');
const express = require('express');
const { expressjwt } = require('express-jwt');
const jwksRsa = require('jwks-rsa');
const { version } = require('express-jwt/package.json');

const env = process.env;

/** The API for one configuration: { audiences, issuer, jwks_url } (docs/http.md). */
function protectedApp(config) {
  const { audiences } = config;
  const app = express();
  app.get('/ready', (req, res) => res.json({ library: 'express-jwt', version }));
  app.use(
    expressjwt({
      secret: jwksRsa.expressJwtSecret({ jwksUri: config.jwks_url, cache: true }),
      // No audience configured: the option left out, as an app without one would.
      audience: audiences.length === 0 ? undefined : audiences.length === 1 ? audiences[0] : audiences,
      issuer: config.issuer,
      algorithms: ['RS256', 'PS256', 'ES256'],
    })
  );
  app.get('/protected', (req, res) => res.json({ ok: true, sub: req.auth.sub }));
  // express-jwt's README: an UnauthorizedError becomes a 401 with its message.
  app.use((err, req, res, next) => {
    if (err.name === 'UnauthorizedError') {
      res.status(401).send(`${err.code}: ${err.message}`);
    } else {
      next(err);
    }
  });
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
