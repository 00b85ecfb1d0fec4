"""A Flask API protected by flask-jwt-extended's @jwt_required(), configured as its
"Configuration Options" page describes for tokens from another issuer: JWT_ALGORITHM RS256
with JWT_PUBLIC_KEY (flask-jwt-extended takes one PEM key and has no JWKS option; this is
audcheck's committed test key, suites/keys/rsa.pub.pem, never a real one),
JWT_DECODE_AUDIENCE, JWT_DECODE_ISSUER and JWT_TOKEN_LOCATION ["headers"], served by
waitress. audcheck starts it with the port, the expected audiences and the issuer in its
environment, then gives each further configuration at its configure endpoint: a fresh app,
configured the same way (docs/http.md).

Targets (AUDCHECK_OPTIONS):
  python-flask-jwt-extended        JWT_DECODE_AUDIENCE: a string for one expected audience,
                                   a list for several ("The audience or list of audiences")
  python-flask-jwt-extended+list   JWT_DECODE_AUDIENCE: always a list

flask-jwt-extended's own claims: the identity claim (JWT_IDENTITY_CLAIM, default "sub") is
required and must be a string (JWT_VERIFY_SUB); "type" defaults to "access" when absent, so
tokens from another issuer pass @jwt_required() without flask-jwt-extended's claims. Its
default answer to an invalid token is 422; the service registers invalid_token_loader (the
documented way to change it, "Changing Default Behaviors") to answer 401 with the same
message and a Bearer challenge.
"""
import json
import os
import sys
from pathlib import Path

import flask_jwt_extended
from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, jwt_required
from waitress import serve

OPTIONS = json.loads(os.environ.get("AUDCHECK_OPTIONS") or "{}")
PUBLIC_KEY = (Path(__file__).parent / "rsa.pub.pem").read_text()
KNOWN = {"audience": ["as-given", "list"]}
for key, value in OPTIONS.items():
    if value not in KNOWN.get(key, []):
        print(f"audcheck: unknown option {key}={value!r}; known: {KNOWN}", file=sys.stderr)
        sys.exit(2)


def challenge(message, status):
    # A header holds printable ASCII only: other characters are written as U+XXXX there; the
    # body keeps the message as the library wrote it.
    clipped = message if len(message) <= 2000 else f"{message[:2000]}... ({len(message) - 2000} more characters)"
    description = "".join(c if " " <= c <= "~" and c not in '"\\' else (" " if c in '"\\\r\n' else f"U+{ord(c):04X}") for c in clipped)
    response = jsonify({"msg": clipped})
    response.status_code = status
    response.headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{description}"'
    return response


def make_app(config):
    """The API for one configuration: {audiences, issuer} (docs/http.md)."""
    audiences = config["audiences"]
    app = Flask(__name__)
    app.config["JWT_ALGORITHM"] = "RS256"
    app.config["JWT_PUBLIC_KEY"] = PUBLIC_KEY
    app.config["JWT_TOKEN_LOCATION"] = ["headers"]
    app.config["JWT_DECODE_ISSUER"] = config["issuer"]
    if OPTIONS.get("audience") == "list" or len(audiences) != 1:
        app.config["JWT_DECODE_AUDIENCE"] = audiences
    else:
        app.config["JWT_DECODE_AUDIENCE"] = audiences[0]
    jwt = JWTManager(app)

    @jwt.invalid_token_loader
    def invalid_token(message):
        return challenge(message, 401)

    @jwt.expired_token_loader
    def expired_token(jwt_header, jwt_payload):
        return challenge("Token has expired", 401)

    @jwt.unauthorized_loader
    def unauthorized(message):
        return challenge(message, 401)

    @app.get("/ready")
    def ready():
        return {"library": "flask-jwt-extended", "version": flask_jwt_extended.__version__}

    @app.get("/protected")
    @jwt_required()
    def protected():
        return {"ok": True}

    return app


current = make_app({"audiences": json.loads(os.environ["AUDCHECK_AUDIENCES"]), "issuer": os.environ["AUDCHECK_ISSUER"]})
control = Flask("configure")


@control.post("/audcheck/configure")
def configure():
    global current
    try:
        current = make_app(request.get_json(force=True))
    except Exception as err:  # a configuration the app refuses: audcheck reports the message
        return {"error": f"{type(err).__name__}: {err}"}, 400
    return {}


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/audcheck/configure":
        return control(environ, start_response)
    return current(environ, start_response)


if __name__ == "__main__":
    serve(application, host="127.0.0.1", port=int(os.environ["AUDCHECK_PORT"]), threads=8, _quiet=True)
