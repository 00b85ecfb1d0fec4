"""audcheck adapter for jwcrypto: jwt.JWT(jwt=..., key=..., check_claims={...}), as its
documentation shows. Reports the library's own verdict. Protocol: docs/protocol.md.

A copy of python-jwcrypto's program for jwcrypto 1.2 (audcheck's release matrix), with two
changes. jwt.JWT takes no expected_type in 1.2 (it arrived in 1.4), so it is not passed.
check_claims["aud"] is a string for one expected audience and a list for several.
jwcrypto 1.2 documents check_claims values as matched exactly and takes only a string for
aud (a list, even of one, raises JWTInvalidClaimFormat); a list for several audiences is
what users wrote (issue #239) and what 1.3.0 made work (issue #277, PR #278), so 1.2's
rejection of a valid token whose aud is one of several configured audiences shows here."""
import json
import sys
from importlib.metadata import version

from jwcrypto import common, jwk, jws, jwt

keys = {}


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    text = str(err)
    if isinstance(err, jwt.JWTExpired):
        return "expired"
    if isinstance(err, jwt.JWTNotYetValid):
        return "not-yet-valid"
    if isinstance(err, jwt.JWTMissingClaim):
        return "missing-aud" if "aud" in text else "other"
    if isinstance(err, jwt.JWTInvalidClaimValue) or isinstance(err, jwt.JWTInvalidClaimFormat):
        return "audience" if "'aud'" in text or "aud" in text.split()[:6] else "issuer" if "iss" in text else "other"
    if isinstance(err, jws.InvalidJWSSignature):
        return "signature"
    if isinstance(err, (jws.InvalidJWSObject, ValueError)):
        return "malformed"
    return "other"


def verify(msg):
    kid = (msg["alg"], msg["key"]["jwk"]["kid"])
    if kid not in keys:
        keys[kid] = jwk.JWK(**msg["key"]["jwk"])
    check = {"exp": None}
    if msg["issuer"] is not None:
        check["iss"] = msg["issuer"]
    if msg["audience"] is not None:
        # One audience: the string 1.2 documents; several: a list (see above).
        check["aud"] = msg["audience"][0] if len(msg["audience"]) == 1 else msg["audience"]
    try:
        jwt.JWT(jwt=msg["token"], key=keys[kid], algs=[msg["alg"]], check_claims=check)
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except (common.JWException, ValueError) as err:
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err), "error": f"{type(err).__name__}: {err}"}


def hello(msg):
    if msg.get("options"):
        return {"op": "error", "id": None, "error": f"unknown options {msg['options']}; this adapter takes none"}
    return {"op": "hello", "protocol": 1, "library": "jwcrypto", "version": version("jwcrypto"), "language": "python",
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
