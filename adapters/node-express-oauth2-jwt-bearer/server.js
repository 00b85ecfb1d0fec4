// An Express API protected by express-oauth2-jwt-bearer, configured as its README shows:
// auth({ audience, issuerBaseURL }). audcheck starts it with the expected audience(s) and
// the issuer's discovery URL in the environment (docs/http.md).
'use strict';
const express = require('express');
const { auth } = require('express-oauth2-jwt-bearer');
const { version } = require('express-oauth2-jwt-bearer/package.json');

const env = process.env;
const audiences = JSON.parse(env.AUDCHECK_AUDIENCES);
const app = express();
app.get('/ready', (req, res) => res.json({ library: 'express-oauth2-jwt-bearer', version }));
app.use(
  auth({
    issuerBaseURL: env.AUDCHECK_DISCOVERY_URL.replace('/.well-known/openid-configuration', ''),
    audience: audiences.length === 1 ? audiences[0] : audiences,
  })
);
app.get('/protected', (req, res) => res.json({ ok: true, sub: req.auth.payload.sub }));
app.listen(Number(env.AUDCHECK_PORT), '127.0.0.1');
