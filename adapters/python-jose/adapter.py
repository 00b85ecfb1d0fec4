"""audcheck adapter for python-jose: jose.jwt.decode with audience=, as its documentation
shows (one audience, as a string). Reports the library's own verdict. Protocol: docs/protocol.md."""
import base64
import json
import sys
from importlib.metadata import version

from jose import exceptions, jwt

options = {}


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    text = str(err).lower()
    if isinstance(err, exceptions.ExpiredSignatureError):
        return "expired"
    if isinstance(err, exceptions.JWTClaimsError):
        if "invalid claim format" in text:
            return "malformed"
        if "audience" in text or "aud" in text:
            return "missing-aud" if "missing" in text or "expected" in text else "audience"
        if "issuer" in text:
            return "issuer"
        if "not yet valid" in text:
            return "not-yet-valid"
        return "other"
    if "signature" in text:
        return "signature"
    if isinstance(err, exceptions.JWTError):
        return "malformed"
    return "other"


def key_of(msg):
    if msg["alg"] == "HS256":
        k = msg["key"]["jwk"]["k"]
        return base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    return msg["key"]["pem"]


def verify(msg):
    decode_options = {"require_aud": True} if options.get("require_aud") else {}
    audience = msg["audience"][0] if msg["audience"] else None
    try:
        jwt.decode(msg["token"], key_of(msg), algorithms=[msg["alg"]], audience=audience,
                   issuer=msg["issuer"], options=decode_options)
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except exceptions.JOSEError as err:
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err), "error": f"{type(err).__name__}: {err}"}


def hello(msg):
    global options
    for k, v in msg.get("options", {}).items():
        if k != "require_aud" or v is not True:
            return {"op": "error", "id": None, "error": f"unknown option {k}={v!r}; known: require_aud (true)"}
    options = msg.get("options", {})
    # decode() takes one audience string; python-jose has neither PS256 nor EdDSA.
    return {"op": "hello", "protocol": 1, "library": "python-jose", "version": version("python-jose"), "language": "python",
            "capabilities": {"algorithms": ["HS256", "RS256", "ES256"], "audience": "single"}}


for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError as e:
        send({"op": "error", "id": None, "error": f"not JSON: {e}"})
        continue
    op = msg.get("op")
    send(hello(msg) if op == "hello" else verify(msg) if op == "verify" else
         {"op": "error", "id": msg.get("id"), "error": f"unknown op {op!r}"})
