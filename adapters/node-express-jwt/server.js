// An Express API protected by express-jwt, configured as its README shows for keys from a
// JWKS endpoint: expressjwt({ secret: jwksRsa.expressJwtSecret({ jwksUri }), audience,
// issuer, algorithms }), with the README's error handler answering 401. audcheck starts it
// with the expected audience(s), the issuer and the key server's JWKS URL in the
// environment (docs/http.md).
'use strict';
const express = require('express');
const { expressjwt } = require('express-jwt');
const jwksRsa = require('jwks-rsa');
const { version } = require('express-jwt/package.json');

const env = process.env;
const audiences = JSON.parse(env.AUDCHECK_AUDIENCES);
const app = express();
app.get('/ready', (req, res) => res.json({ library: 'express-jwt', version }));
app.use(
  expressjwt({
    secret: jwksRsa.expressJwtSecret({ jwksUri: env.AUDCHECK_JWKS_URL, cache: true }),
    // No audience configured: the option left out, as an app without one would.
    audience: audiences.length === 0 ? undefined : audiences.length === 1 ? audiences[0] : audiences,
    issuer: env.AUDCHECK_ISSUER,
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
app.listen(Number(env.AUDCHECK_PORT), '127.0.0.1');
