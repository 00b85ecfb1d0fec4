"""audcheck adapter for djangorestframework-simplejwt: the SIMPLE_JWT settings (ALGORITHM,
SIGNING_KEY / VERIFYING_KEY, AUDIENCE, ISSUER) in a minimal Django settings.configure(),
and the TokenBackend built from them as rest_framework_simplejwt.state builds it, whose
decode(token, verify=True) gives the library's verdict. Protocol: docs/protocol.md.

Targets (options in hello):
  python-djangorestframework-simplejwt        "AUDIENCE": "<the expected audience>" (a string)
  python-djangorestframework-simplejwt+list   "AUDIENCE": ["<aud 1>", "<aud 2>", ...]

TokenBackend.decode is used rather than AccessToken(token): AccessToken also demands
simplejwt's own token_type and jti claims, which tokens from another issuer lack; the
audience check is TokenBackend's.
"""
import base64
import json
import sys

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="audcheck-adapter-not-a-secret",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                    "rest_framework_simplejwt"],
    SIMPLE_JWT={},
    USE_TZ=True,
)
django.setup()

from importlib.metadata import version  # noqa: E402

import jwt  # noqa: E402
from django.test import override_settings  # noqa: E402
from rest_framework_simplejwt import settings as simplejwt_settings  # noqa: E402
from rest_framework_simplejwt.backends import TokenBackend  # noqa: E402
from rest_framework_simplejwt.exceptions import TokenBackendError  # noqa: E402

options = {}
backends = {}


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    cause = err.__cause__
    for cls, name in [
        (jwt.MissingRequiredClaimError, "missing-aud"),
        (jwt.InvalidAudienceError, "audience"),
        (jwt.ExpiredSignatureError, "expired"),
        (jwt.ImmatureSignatureError, "not-yet-valid"),
        (jwt.InvalidIssuerError, "issuer"),
        (jwt.InvalidSignatureError, "signature"),
        (jwt.InvalidAlgorithmError, "signature"),
        (jwt.DecodeError, "malformed"),
    ]:
        if isinstance(cause, cls):
            if cls is jwt.MissingRequiredClaimError and cause.claim != "aud":
                return "other"
            return name
    return "other"


def simple_jwt_settings(msg):
    conf = {"ALGORITHM": msg["alg"], "ISSUER": msg["issuer"]}
    if msg["alg"] == "HS256":
        k = msg["key"]["jwk"]["k"]
        conf["SIGNING_KEY"] = base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    else:
        conf["VERIFYING_KEY"] = msg["key"]["pem"]
    audience = msg["audience"]
    if audience and options.get("audience") != "list":
        # One string; an empty list of expected audiences is passed on as it is.
        audience = audience[0]
    conf["AUDIENCE"] = audience
    return conf


def backend_for(msg):
    conf = simple_jwt_settings(msg)
    cache_key = repr(sorted(conf.items()))
    if cache_key not in backends:
        # SIMPLE_JWT as a project's settings.py would hold it; simplejwt reloads its
        # api_settings on the change, and the backend is built from them as in
        # rest_framework_simplejwt/state.py.
        with override_settings(SIMPLE_JWT=conf):
            s = simplejwt_settings.api_settings
            backends[cache_key] = TokenBackend(s.ALGORITHM, s.SIGNING_KEY, s.VERIFYING_KEY, s.AUDIENCE, s.ISSUER,
                                               s.JWK_URL, s.LEEWAY, s.JSON_ENCODER)
    return backends[cache_key]


def verify(msg):
    try:
        backend_for(msg).decode(msg["token"], verify=True)
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except TokenBackendError as err:
        cause = err.__cause__
        detail = f" ({type(cause).__name__}: {cause})" if cause is not None else ""
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err),
                "error": f"{type(err).__name__}: {err}{detail}"}
    except Exception as err:  # noqa: BLE001 - an exception escaping the library: a crash
        return {"op": "error", "id": msg["id"], "error": f"{type(err).__name__} escaped TokenBackend.decode: {err}"}


def hello(msg):
    global options
    opts = msg.get("options", {})
    if opts not in ({}, {"audience": "list"}):
        return {"op": "error", "id": None, "error": f"unknown options {opts!r}; known: audience (\"list\")"}
    options = opts
    return {"op": "hello", "protocol": 1, "library": "djangorestframework-simplejwt",
            "version": version("djangorestframework-simplejwt"), "language": "python",
            "capabilities": {"algorithms": ["HS256", "RS256", "PS256", "ES256", "EdDSA"],
                             "audience": "any-of" if options.get("audience") == "list" else "single"}}


def main():
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError as e:
            send({"op": "error", "id": None, "error": f"not JSON: {e}"})
            continue
        if msg.get("op") == "hello":
            send(hello(msg))
        elif msg.get("op") == "verify":
            send(verify(msg))
        else:
            send({"op": "error", "id": msg.get("id"), "error": f"unknown op {msg.get('op')!r}"})


if __name__ == "__main__":
    main()
