#!/usr/bin/env python3
"""A small service written for audcheck's tests, as a user would write one: PyJWT checks
the token (run with the python-pyjwt adapter's interpreter). Not a shipped target.

Environment: PORT, AUDIENCE, ISSUER, and MODE:
  rs256      accepts only RS256, keys from JWKS_URL (PyJWKClient)
  hs256      accepts only HS256, with the shared test secret in suites/keys/hmac.jwk.json
  discovery  configured only by its issuer: reads ISSUER/.well-known/openid-configuration on
             first use, refuses a document naming another issuer, then its jwks_uri
  header     as rs256, but reads the token from the X-Token header
"""
import base64, json, os, sys, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

MODE, AUDIENCE, ISSUER = os.environ["MODE"], os.environ["AUDIENCE"], os.environ["ISSUER"]
HERE = os.path.dirname(os.path.abspath(__file__))
jwks = None


def key_for(token):
    global jwks
    if MODE == "hs256":
        k = json.load(open(os.path.join(HERE, "../../../suites/keys/hmac.jwk.json")))["k"]
        return base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    if jwks is None:
        url = os.environ.get("JWKS_URL")
        if MODE == "discovery":
            doc = json.load(urllib.request.urlopen(ISSUER.rstrip("/") + "/.well-known/openid-configuration"))
            if doc["issuer"] != ISSUER:
                raise RuntimeError(f"discovery names issuer {doc['issuer']!r}, not {ISSUER!r}")
            url = doc["jwks_uri"]
        jwks = jwt.PyJWKClient(url)
    return jwks.get_signing_key_from_jwt(token).key


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, challenge=None):
        self.send_response(status)
        if challenge:
            self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def do_GET(self):
        if MODE == "header":
            token = self.headers.get("X-Token", "")
        else:
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        algorithms = ["HS256"] if MODE == "hs256" else ["RS256"]
        try:
            claims = jwt.decode(token, key_for(token), algorithms=algorithms, audience=AUDIENCE, issuer=ISSUER)
        except (jwt.PyJWTError, jwt.PyJWKClientError) as err:
            description = f"{type(err).__name__}: {err}".replace('"', "'")
            return self.reply(401, {"error": "invalid_token"}, f'Bearer error="invalid_token", error_description="{description}"')
        self.reply(200, {"sub": claims.get("sub")})


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
