"""audcheck adapter for Authlib: authlib.jose.jwt.decode with claims_options, then
claims.validate(), as its documentation shows. Reports the library's own verdict.
Protocol: docs/protocol.md."""
import json
import sys
import warnings
from importlib.metadata import version

warnings.simplefilter("ignore")  # authlib.jose announces its deprecation on import

from authlib.jose import JsonWebKey, errors, jwt  # noqa: E402

options, keys = {}, {}


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    if isinstance(err, errors.ExpiredTokenError):
        return "expired"
    if isinstance(err, errors.MissingClaimError):
        return "missing-aud" if "aud" in str(err) else "other"
    if isinstance(err, errors.InvalidClaimError):
        text = str(err)
        return "audience" if "'aud'" in text else "issuer" if "'iss'" in text else "other"
    if isinstance(err, errors.InvalidTokenError):
        return "not-yet-valid"
    if isinstance(err, errors.BadSignatureError):
        return "signature"
    if isinstance(err, errors.DecodeError):
        return "malformed"
    return "other"


def verify(msg):
    kid = (msg["alg"], msg["key"]["jwk"]["kid"])
    if kid not in keys:
        keys[kid] = JsonWebKey.import_key(msg["key"]["jwk"])
    claims_options = {}
    if msg["issuer"] is not None:
        claims_options["iss"] = {"essential": True, "value": msg["issuer"]}
    if msg["audience"] is not None:
        claims_options["aud"] = {"essential": bool(options.get("essential_aud")), "values": msg["audience"]}
    try:
        claims = jwt.decode(msg["token"], keys[kid], claims_options=claims_options)
        claims.validate(now=msg["now"])
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except errors.JoseError as err:
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err), "error": f"{type(err).__name__}: {err}"}
    except ValueError as err:
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": "malformed", "error": f"{type(err).__name__}: {err}"}


def hello(msg):
    global options
    for k, v in msg.get("options", {}).items():
        if k != "essential_aud" or v is not True:
            return {"op": "error", "id": None, "error": f"unknown option {k}={v!r}; known: essential_aud (true)"}
    options = msg.get("options", {})
    return {"op": "hello", "protocol": 1, "library": "authlib", "version": version("authlib"), "language": "python",
            "capabilities": {"algorithms": ["HS256", "RS256", "PS256", "ES256", "EdDSA"], "audience": "any-of"}}


for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError as e:
        send({"op": "error", "id": None, "error": f"not JSON: {e}"})
        continue
    op = msg.get("op")
    send(hello(msg) if op == "hello" else verify(msg) if op == "verify" else
         {"op": "error", "id": msg.get("id"), "error": f"unknown op {op!r}"})
