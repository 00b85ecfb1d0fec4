"""audcheck adapter for PyJWT: jwt.decode configured as its documentation tells users to,
reporting the library's own verdict. Protocol: docs/protocol.md.

A copy of python-pyjwt's program, adapted minimally to PyJWT 0.4.x (audcheck's release
matrix), whose API is older:
- 0.4.x imports collections.Mapping, which Python 3.10 removed: the documented alias
  collections.Mapping = collections.abc.Mapping is set before importing it (no library code
  changes);
- its README configures the audience as jwt.decode(token, key, audience='urn:foo'): one
  string (0.4.1 raises TypeError for anything else), so the capability is "single"; decode
  takes no algorithms= and no options= (strict_aud and require arrived in 2.x), so this
  adapter has no variants;
- it has no jwt.algorithms module (the verifiers are jwt.verify_methods) and no PyJWTError:
  its errors are DecodeError, ExpiredSignature (also for nbf), InvalidAudience and
  InvalidIssuer (0.4.1 renamed them ...Error and kept these names as aliases).
RSA and EC keys need the cryptography interfaces module, gone from today's cryptography, so
0.4.x verifies HS256 only here: cases signed otherwise are skipped."""
import base64
import collections
import collections.abc
import json
import sys

collections.Mapping = collections.abc.Mapping  # for PyJWT 0.4.x on Python 3.10+, see above

import jwt  # noqa: E402

KNOWN = {}
ERRORS = (jwt.DecodeError, jwt.ExpiredSignature, jwt.InvalidAudience, jwt.InvalidIssuer)
options = {}


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    if isinstance(err, jwt.InvalidAudience) and "No audience claim" in str(err):
        return "missing-aud"
    if isinstance(err, jwt.ExpiredSignature) and "not yet valid" in str(err):
        return "not-yet-valid"
    if isinstance(err, jwt.DecodeError) and "Signature verification failed" in str(err):
        return "signature"
    for cls, name in [
        (jwt.InvalidAudience, "audience"),
        (jwt.ExpiredSignature, "expired"),
        (jwt.InvalidIssuer, "issuer"),
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
    # One audience, a string (capability "single"); None when none is configured.
    audience = msg["audience"][0] if msg["audience"] else msg["audience"]
    try:
        jwt.decode(msg["token"], key_of(msg), audience=audience, issuer=msg["issuer"])
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except ERRORS as err:
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err),
                "error": f"{type(err).__name__}: {err}"}
    except TypeError as err:
        # 0.4.1 refuses an audience that is not a string or None (here an empty list) with
        # TypeError('audience must be a string or None'): the library refusing the configuration.
        if "audience must be" not in str(err):
            raise
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": "config",
                "error": f"{type(err).__name__}: {err}"}


def algorithms():
    # Offer what the installed release supports (0.4.x: jwt.verify_methods).
    supported = jwt.verify_methods
    return [a for a in ["HS256", "RS256", "PS256", "ES256", "EdDSA"] if a in supported]


def hello(msg):
    global options
    for k, v in msg.get("options", {}).items():
        if k not in KNOWN or v not in KNOWN[k]:
            return {"op": "error", "id": None, "error": f"unknown option {k}={v!r}; PyJWT 0.4.x takes none"}
    options = msg.get("options", {})
    return {"op": "hello", "protocol": 1, "library": "pyjwt", "version": jwt.__version__, "language": "python",
            "capabilities": {"algorithms": algorithms(),
                             "audience": "single"}}


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
