"""audcheck adapter for PyJWT: jwt.decode configured as its documentation tells users to,
reporting the library's own verdict. Protocol: docs/protocol.md."""
import base64
import json
import sys

import jwt
import jwt.algorithms

KNOWN = {"strict_aud": (True,), "require_aud": (True,)}
options = {}


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    if isinstance(err, jwt.MissingRequiredClaimError):
        return "missing-aud" if err.claim == "aud" else "other"
    for cls, name in [
        (jwt.InvalidAudienceError, "audience"),
        (jwt.ExpiredSignatureError, "expired"),
        (jwt.ImmatureSignatureError, "not-yet-valid"),
        (jwt.InvalidIssuerError, "issuer"),
        (jwt.InvalidSignatureError, "signature"),
        (jwt.InvalidAlgorithmError, "signature"),
        (jwt.DecodeError, "malformed"),
    ]:
        if isinstance(err, cls):
            return name
    return "other"


def key_of(msg):
    if msg["alg"] == "HS256":
        k = msg["key"]["jwk"]["k"]
        return base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    return msg["key"]["pem"]


def verify(msg):
    audience = msg["audience"]
    decode_options = {}
    if options.get("strict_aud"):
        # strict_aud takes one audience, as a string.
        decode_options["strict_aud"] = True
        audience = audience[0] if audience else audience
    if options.get("require_aud"):
        decode_options["require"] = ["exp", "aud"]
    try:
        jwt.decode(msg["token"], key_of(msg), algorithms=[msg["alg"]], audience=audience,
                   issuer=msg["issuer"], options=decode_options)
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except jwt.PyJWTError as err:
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err),
                "error": f"{type(err).__name__}: {err}"}


def algorithms():
    # Releases before 2.0 have no EdDSA: offer what the installed release supports
    # (adapters/python-pyjwt@1.7.1 carries a copy of this program for PyJWT 1.7.1).
    supported = jwt.algorithms.get_default_algorithms()
    return [a for a in ["HS256", "RS256", "PS256", "ES256", "EdDSA"] if a in supported]


def hello(msg):
    global options
    for k, v in msg.get("options", {}).items():
        if k not in KNOWN or v not in KNOWN[k]:
            return {"op": "error", "id": None, "error": f"unknown option {k}={v!r}; known: strict_aud, require_aud (true)"}
    options = msg.get("options", {})
    return {"op": "hello", "protocol": 1, "library": "pyjwt", "version": jwt.__version__, "language": "python",
            "capabilities": {"algorithms": algorithms(),
                             "audience": "single" if options.get("strict_aud") else "any-of"}}


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
