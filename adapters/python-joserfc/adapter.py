"""audcheck adapter for joserfc: jwt.decode, then a JWTClaimsRegistry with the expected
audience as the documentation shows. Reports the library's own verdict. Protocol: docs/protocol.md."""
import json
import sys
from importlib.metadata import version

from joserfc import errors, jwt
from joserfc.jwk import import_key

options, keys = {}, {}
KTY = {"HS256": "oct", "RS256": "RSA", "PS256": "RSA", "ES256": "EC", "EdDSA": "OKP"}


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    if isinstance(err, errors.ExpiredTokenError):
        return "expired"
    if isinstance(err, errors.MissingClaimError):
        return "missing-aud" if "aud" in str(err.claim) else "other"
    if isinstance(err, errors.InvalidClaimError):
        return {"aud": "audience", "iss": "issuer", "nbf": "not-yet-valid"}.get(err.claim, "other")
    if isinstance(err, errors.BadSignatureError):
        return "signature"
    if isinstance(err, (errors.DecodeError, errors.InvalidPayloadError)):
        return "malformed"
    return "other"


def verify(msg):
    kid = (msg["alg"], msg["key"]["jwk"]["kid"])
    if kid not in keys:
        keys[kid] = import_key(msg["key"]["jwk"], KTY[msg["alg"]])
    claims = {}
    if msg["issuer"] is not None:
        claims["iss"] = {"essential": True, "value": msg["issuer"]}
    if msg["audience"] is not None:
        claims["aud"] = {"essential": bool(options.get("essential_aud")), "values": msg["audience"]}
    try:
        token = jwt.decode(msg["token"], keys[kid], algorithms=[msg["alg"]])
        jwt.JWTClaimsRegistry(now=msg["now"], **claims).validate(token.claims)
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except errors.JoseError as err:
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err), "error": f"{type(err).__name__}: {err}"}


def hello(msg):
    global options
    for k, v in msg.get("options", {}).items():
        if k != "essential_aud" or v is not True:
            return {"op": "error", "id": None, "error": f"unknown option {k}={v!r}; known: essential_aud (true)"}
    options = msg.get("options", {})
    return {"op": "hello", "protocol": 1, "library": "joserfc", "version": version("joserfc"), "language": "python",
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
